from . import test_access_matrix
from . import test_constraints
from . import test_multicompany

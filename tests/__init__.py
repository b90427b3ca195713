from . import test_access_matrix
from . import test_concurrency
from . import test_constraints
from . import test_escalation
from . import test_incident_flow
from . import test_multicompany
from . import test_sla

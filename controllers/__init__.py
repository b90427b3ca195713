from . import portal
from . import self_help

from . import portal
from . import self_help
from . import portal_question

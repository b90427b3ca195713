from . import portal
from . import self_help
from . import portal_question
from . import portal_request
from . import portal_guide_read

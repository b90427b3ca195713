from . import erp_incident_analysis
from . import erp_self_help_analysis
from . import erp_process_guide_reader
from . import erp_key_user_coverage

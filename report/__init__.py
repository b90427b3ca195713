from . import erp_incident_analysis
from . import erp_self_help_analysis

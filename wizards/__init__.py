from . import erp_incident_escalate_wizard
from . import erp_incident_report_wizard
from . import erp_process_guide_version_compare
from . import erp_instance_connection_wizard

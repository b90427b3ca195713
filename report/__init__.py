from . import erp_incident_analysis

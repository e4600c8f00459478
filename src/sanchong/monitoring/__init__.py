"""Monitoring (预警监测), pure: each region's lines, a person-year's burden, the warning, the work-list states."""

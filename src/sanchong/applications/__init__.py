"""Applications (依申请): the pure rules (rules.py); the service is services/applications.py."""

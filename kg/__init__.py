"""egov-kg: a knowledge graph of e-government reforms, agencies and technologies in Chinese cities.

Pipeline (imports flow one way, down this list):
records/validate -> load -> shapes/reason -> pipeline -> store -> query/output -> analyse/graphview/site -> cli
"""

__version__ = "0.1.0"

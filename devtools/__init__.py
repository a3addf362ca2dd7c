"""Development tools outside the product package: the embedded PostgreSQL server behind the make
targets (``devdb``) and throw-away services for the integration tests and benchmarks (``devservices``).
The image does not ship them, and nothing in ``wizzr`` or the apps imports them.
"""

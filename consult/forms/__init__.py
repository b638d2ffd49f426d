"""Forms of the consult app, one module per feature (intake, clients, cases,
follow-ups); shared fields and widgets in fields.py and widgets.py."""

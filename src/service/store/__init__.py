"""Persistence of dossiers with SQLAlchemy Core: tables, migrations, repositories and the audit log."""

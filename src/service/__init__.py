"""The thin Litestar service and the `bibob` command around the bibob library."""

"""Clients for external registers (KvK, ZGW); each call takes an httpx.AsyncClient."""

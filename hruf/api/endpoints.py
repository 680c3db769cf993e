"""Endpoints of the core: regions, countries, notifications."""


def register(router):
    pass

"""The compose shape has what the runbook relies on (CI also validates the file with Compose itself)."""

import ipaddress
from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_it_puts_a_tls_proxy_in_front_of_web():
    proxy = SERVICES["proxy"]
    assert proxy["image"].startswith("caddy:") and "443:443" in proxy["ports"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]


def test_its_health_checks_watch_the_health_state_and_the_sweeps():
    assert "/health/" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert SERVICES["beat"]["healthcheck"]["test"][-1] == "check_sweeps"


def test_it_backs_up_every_night_into_its_own_volume():
    backup = SERVICES["backup"]
    assert "backup_create" in " ".join(backup["command"]) and "sleep 86400" in " ".join(backup["command"])
    assert "backups:/backups" in backup["volumes"] and "backups" in COMPOSE["volumes"]


def test_the_app_trusts_exactly_the_proxy_s_address():
    address = SERVICES["proxy"]["networks"]["default"]["ipv4_address"]
    assert COMPOSE["x-app-env"]["TRUSTED_PROXIES"] == address
    subnet = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(address) in ipaddress.ip_network(subnet)

"""A demo site for any study, made from its definition (and the optional scenario in forms/demo/),
written through the services. Sits above ecrf.services, below ecrf.cli and ecrf.ui."""
from __future__ import annotations

from ecrf.demo.site import DEMO_USERS, DemoSite, DemoUser, create_demo

__all__ = ["DEMO_USERS", "DemoSite", "DemoUser", "create_demo"]

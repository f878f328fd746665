"""The templates the platform ships, and the network each one is written for.

``flask reference load`` publishes each as version 1, and publishes a new version when the
shipped definition has changed, through the same service the administrators' editor uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from r2p_network.assessments import default_template, network_templates
from r2p_network.models import Network


@dataclass(frozen=True)
class ShippedTemplate:
    slug: str
    name: str
    network: Network
    definition: Callable[[], dict[str, Any]]


SHIPPED = (
    ShippedTemplate(
        default_template.SLUG, default_template.NAME, Network.GOVERNMENT, default_template.definition
    ),
    ShippedTemplate(
        network_templates.CIVIL_SOCIETY_SLUG,
        network_templates.CIVIL_SOCIETY_NAME,
        Network.CIVIL_SOCIETY,
        network_templates.civil_society_definition,
    ),
    ShippedTemplate(
        network_templates.PARLIAMENT_SLUG,
        network_templates.PARLIAMENT_NAME,
        Network.PARLIAMENT,
        network_templates.parliament_definition,
    ),
)


def default_slug(network: Network) -> str:
    """The template a team of *network* starts on unless it chooses another."""
    return next((t.slug for t in SHIPPED if t.network == network), default_template.SLUG)

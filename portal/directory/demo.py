"""Demo reference data: three districts, a municipal and a private provider, their care groups.

Runs first: every later step reads `ctx.made["districts"]`, `["providers"]`, `["care_groups"]`.
"""

from portal.directory.models import CareGroup, District, Provider

ORDER = 5
# Name, postcode and town of each demo district (the citizens' addresses use the last two).
DISTRICTS = (
    ("Nordby", "4100", "Demoby"),
    ("Sønderby", "4130", "Demoby S"),
    ("Midtby", "4100", "Demoby"),
)


def seed(ctx):
    """Districts; a team per district, a night patrol and a private team."""
    session = ctx.session
    districts = [District(name=n) for n, _, _ in DISTRICTS]
    municipal = Provider(name="Demo Kommune Hjemmepleje", kind="municipal")
    private = Provider(name="Omsorg Plus ApS", kind="private")
    session.add_all([*districts, municipal, private])
    groups = [
        CareGroup(provider=municipal, name=f"Team {d.name}", districts=[d]) for d in districts
    ]
    groups.append(
        CareGroup(
            provider=municipal, name="Nattevagt", night_patrol=True, districts=list(districts)
        )
    )
    groups.append(CareGroup(provider=private, name="Omsorg Plus Team 1", districts=list(districts)))
    session.add_all(groups)
    session.flush()
    ctx.made.update(districts=districts, providers=[municipal, private], care_groups=groups)

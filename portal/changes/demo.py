"""Demo change requests: a provider switch waiting in the coordinator's queue."""

from datetime import timedelta

from portal.audit.services import Actor
from portal.changes import rules, services
from portal.directory.queries import local_date, provider_on

ORDER = 60  # after the citizens, their providers, the locks and the jobs


def seed(ctx):
    """One citizen asks to change provider from two weeks ahead (pending, for the queue)."""
    tz = ctx.config["TIMEZONE"]
    today = local_date(ctx.now, tz)
    policy = services.Policy(tz=tz, max_days=int(ctx.config.get("CHANGES_MAX_DAYS_AHEAD", 365)))
    for citizen in ctx.made.get("citizens", []):
        current = provider_on(ctx.session, citizen.id, today)
        others = [
            p
            for p in rules.approved_providers(ctx.session, citizen.district_id)
            if current is None or p.id != current.id
        ]
        if not others:
            continue
        details = services.Details(
            effective_on=today + timedelta(days=14), provider_id=others[0].id
        )
        try:
            req = services.submit(
                ctx.session,
                citizen,
                "switch",
                details,
                source="citizen",
                now=ctx.now,
                # Asked as the citizen would (the coordinator's page names who asked).
                actor=Actor("citizen", citizen.id, on_behalf_of=f"citizen:{citizen.id}"),
                policy=policy,
            )
        except rules.ChangeError:
            continue
        ctx.lines.append(
            f"Change requests: {citizen.name} asks to switch provider ({req.reference})."
        )
        return

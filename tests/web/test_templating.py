"""The portal's Jinja environment: a template without globals of its own shares the
environment's dict (no ChainMap walked in Python on every render and import), and keeps Jinja's
meaning: a global registered after the template was loaded is seen, and globals a template
brings stay its own."""

from portal.web.templating import PortalEnvironment


def test_templates_share_the_environments_globals(app):
    env = app.jinja_env
    assert isinstance(env, PortalEnvironment)
    template = env.get_template("base.html")
    assert template.globals is env.globals  # a plain dict: compared and copied in C
    env.globals["_late_global"] = "registered later"
    try:
        late = env.from_string("{{ _late_global }}")
        assert late.render() == "registered later"
        assert "_late_global" in template.globals
    finally:
        del env.globals["_late_global"]


def test_a_template_with_its_own_globals_keeps_them_to_itself(app):
    env = app.jinja_env
    own = env.from_string("{{ only_here }}", globals={"only_here": "mine"})
    assert own.render() == "mine"
    assert "only_here" not in env.globals
    assert env.from_string("{{ only_here }}").render() == ""


def test_an_imported_macro_sees_the_page(app):
    env = app.jinja_env
    with app.test_request_context("/"):
        page = env.from_string(
            '{% import "_macros/content.html" as c %}{{ c.tag("Booked") }}'
        ).render()
    assert "Booked" in page

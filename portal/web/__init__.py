"""Web plumbing shared by every feature: htmx, errors, authorisation, security headers."""


def init_app(app) -> None:
    """Template globals of the web plumbing (navigation, panels, asset URLs); WTForms messages."""
    from portal.web.assets import asset_url
    from portal.web.panels import nav_for, render_panels
    from portal.web.wtforms_i18n import use_catalog

    app.before_request(use_catalog)

    app.jinja_env.globals.update(nav_for=nav_for, panels=render_panels, asset_url=asset_url)

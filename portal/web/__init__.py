"""Web plumbing shared by every feature: htmx, errors, authorisation, security headers."""


def init_app(app) -> None:
    """Template globals of the web plumbing (navigation, panels, asset URLs); WTForms messages;
    GET and HEAD only read."""
    from portal.web import safe_methods
    from portal.web.assets import asset_url, chrome_url, language_return_path, language_url
    from portal.web.panels import nav_for, render_panels
    from portal.web.wording import acting_for
    from portal.web.wtforms_i18n import use_catalog

    safe_methods.init_app(app)
    app.before_request(use_catalog)

    app.jinja_env.globals.update(
        nav_for=nav_for,
        panels=render_panels,
        asset_url=asset_url,
        chrome_url=chrome_url,
        language_url=language_url,
        language_return_path=language_return_path,
        reader_page=reader_page,
        acting_for=acting_for,
    )
    app.jinja_env.filters["by_row"] = by_row


def by_row(errors) -> list[tuple[object, list]]:
    """Import errors grouped by their `row`, each row once, in the order first met (a row may
    be a number or a marker such as "-" for the file as a whole, so nothing is sorted)."""
    rows: dict[object, list] = {}
    for error in errors:
        rows.setdefault(error.row, []).append(error)
    return list(rows.items())


# Pages a citizen or relative reads (most citizens are over 75): larger text, darker hints.
READER_PATHS = ("/citizen", "/sign-in/citizen", "/sign-in/relative")


def reader_page() -> bool:
    """True on the citizen's pages (and the front page): base.html sets the larger text there."""
    from flask import has_request_context, request
    from flask_login import current_user

    if not has_request_context():
        return False
    if getattr(current_user, "role", None) == "citizen":
        return True
    return request.path == "/" or request.path.startswith(READER_PATHS)

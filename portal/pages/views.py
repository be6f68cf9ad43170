"""Front page, accessibility statement, language switch and a plain staff start page."""

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from portal.pages import bp
from portal.web.auth import role_required
from portal.web.security import safe_next


@bp.route("/")
def front():
    """What keyless home care is, and three doors in."""
    return render_template("pages/front.html")


@bp.route("/healthz")
def healthz():
    """Liveness probe for load balancers (and the trivial route the benchmarks compare to)."""
    return {"status": "ok"}


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement."""
    return render_template("pages/accessibility.html")


@bp.route("/language/<lang>")
def language(lang: str):
    """Remember the chosen language in the session and go back."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = lang
    return redirect(safe_next(request.args.get("next"), url_for("pages.front")), 303)


@bp.route("/staff")
@role_required("coordinator", "locksmith", "provider_admin")
def staff_home():
    """Start page for staff roles; features add their links to the navigation."""
    return render_template("pages/staff_home.html", user=current_user)

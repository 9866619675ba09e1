"""The signed-in user's notifications list and email choices."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import signed_in
from ..models import Category
from . import services
from .forms import ConfirmForm, EmailChoicesForm

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def _unread() -> dict[str, object]:
    """``unread_notifications()`` for the header: counted only when a page asks."""

    def unread_notifications() -> int:
        return services.unread_count(current_user) if current_user.is_authenticated else 0

    return {"unread_notifications": unread_notifications}


@bp.route("/")
@signed_in
def list_notifications() -> str:
    return render_template(
        "notifications/list.html",
        notifications=services.notifications_for(current_user),
        form=ConfirmForm(),
    )


@bp.route("/<int:notification_id>/open", methods=["POST"])
@signed_in
def open_notification(notification_id: int) -> Response:
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("notifications.list_notifications"))
    return redirect(services.open_notification(current_user, notification_id))


@bp.route("/read-all", methods=["POST"])
@signed_in
def mark_all_read() -> Response:
    if ConfirmForm().validate_on_submit():
        count = services.mark_all_read(current_user)
        flash(f"{count} notification{'s' if count != 1 else ''} marked as read.", "success")
    return redirect(url_for("notifications.list_notifications"))


@bp.route("/preferences", methods=["GET", "POST"])
@signed_in
def preferences() -> str | Response:
    form = EmailChoicesForm()
    if form.validate_on_submit():
        services.set_email_choices(
            current_user, {Category(value) for value in form.categories.data or []}
        )
        flash("Your email choices are saved.", "success")
        return redirect(url_for("notifications.preferences"))
    if not form.is_submitted():
        form.categories.data = [
            c.value for c, on in services.email_choices(current_user).items() if on
        ]
    return render_template("notifications/preferences.html", form=form)

"""Blueprint registration: the one list of every feature's routes."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Attach every feature blueprint to the app."""
    from .admin.routes import bp as admin_bp
    from .alliance_profile.routes import bp as alliance_profile_bp
    from .api.routes import bp as api_bp
    from .api.settings import bp as api_tokens_bp
    from .auth.routes import bp as auth_bp
    from .buddying.routes import bp as buddying_bp
    from .coordinator.routes import bp as coordinator_bp
    from .dashboards.routes import bp as dashboards_bp
    from .evidence.routes import bp as evidence_bp
    from .frameworks.routes import bp as frameworks_bp
    from .imports.routes import bp as imports_bp
    from .invitations.routes import bp as invitations_bp
    from .main.routes import bp as main_bp
    from .moderation.routes import bp as moderation_bp
    from .notifications import (
        messages,
        reminders,  # noqa: F401  (registers its periodic task)
    )
    from .notifications.routes import bp as notifications_bp
    from .plans.routes import bp as plans_bp
    from .questionnaire import review_routes  # noqa: F401  (adds the review-comments page)
    from .questionnaire.routes import bp as questionnaire_bp
    from .reports import snapshots as report_snapshots
    from .reports.routes import bp as reports_bp
    from .respondents.routes import bp as respondents_bp
    from .standards.routes import bp as standards_bp
    from .summaries.routes import bp as summaries_bp
    from .workbook.routes import bp as workbook_bp

    for blueprint in (main_bp, auth_bp, admin_bp, coordinator_bp, buddying_bp, questionnaire_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(workbook_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(frameworks_bp)
    app.register_blueprint(alliance_profile_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(standards_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(respondents_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_tokens_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(summaries_bp)
    # Notifications listen to the events the core and the features publish.
    messages.register()
    # Each submission and validation keeps its member PDFs, rendered on the job queue.
    report_snapshots.register()

"""The application factory: the ground floor's services, then every package's blueprints and commands."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from hub.core import config as hub_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app from the environment, then apply ``config`` overrides (tests use them)."""
    instance_path = Path((config or {}).get("INSTANCE_PATH") or hub_config.default_instance_path())
    # Named after the hub package so that its templates, static files and translations are the app's.
    app = Flask("hub", instance_path=str(instance_path), instance_relative_config=False)
    app.config.update(hub_config.load(instance_path=instance_path))
    app.config.update(config or {})

    from hub.app.models import import_all_models
    from hub.core import auth, db, i18n, jobs, mail, programmes, security

    import_all_models()
    db.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    mail.init_app(app)
    programmes.init_app(app)

    from exports.cover_views import blueprint as report_cover_bp
    from exports.data_views import blueprint as data_exports_bp
    from exports.publication_views import blueprint as publication_bp
    from exports.views import blueprint as exports_bp
    from exports.workshop_report_views import blueprint as workshop_reports_bp
    from hub.app import navigation, site_header
    from hub.app.accounts.views import blueprint as accounts_bp
    from hub.app.home import blueprint as home_bp
    from hub.app.notifications.views import blueprint as notifications_bp
    from hub.app.offline import blueprint as offline_bp
    from hub.app.programme_admin.views import blueprint as programme_admin_bp
    from hub.app.search.views import blueprint as search_bp
    from hub.core.account_views import blueprint as hub_bp
    from hub.core.errors import register_error_pages
    from irritants.capture_views import blueprint as capture_bp
    from irritants.decision_views import blueprint as decisions_bp
    from irritants.group_views import blueprint as groups_bp
    from irritants.impact_views import blueprint as impact_bp
    from irritants.method_views import blueprint as method_bp
    from irritants.option_views import blueprint as options_bp
    from irritants.photo_views import blueprint as photos_bp
    from irritants.service_list_views import blueprint as services_bp
    from irritants.views import blueprint as irritants_bp
    from participants.registry_views import blueprint as registry_bp
    from participants.selection_views import blueprint as selection_bp
    from participants.survey_views import blueprint as surveys_bp
    from participants.usage_views import blueprint as usage_bp
    from participants.views import blueprint as participants_bp
    from workshops.hypothesis_views import blueprint as hypotheses_bp
    from workshops.views import blueprint as workshops_bp

    blueprints = (hub_bp, home_bp, participants_bp, registry_bp, selection_bp, usage_bp, surveys_bp, workshops_bp,
                  hypotheses_bp, capture_bp, irritants_bp, method_bp, options_bp, decisions_bp, groups_bp, impact_bp,
                  exports_bp, publication_bp, data_exports_bp, workshop_reports_bp, report_cover_bp, programme_admin_bp,
                  services_bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(notifications_bp)  # its commands: hub notifications digest
    app.register_blueprint(search_bp)
    app.register_blueprint(photos_bp)  # an irritant's photos (irritants/photo_views.py)
    app.register_blueprint(offline_bp)  # the manifest, the service worker, the offline page
    register_error_pages(app)
    navigation.init_app(app)
    site_header.init_app(app)
    jobs.init_app(app)  # after the blueprints: their modules have declared the jobs by now
    return app

from django.urls import path

from careerrelay.web import import_views, merge_views, pool_views, views

app_name = "web"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password-reset/", views.password_reset_request_view, name="password_reset"),
    path("password-reset/complete/", views.password_reset_complete_view, name="password_reset_complete"),
    path("password-reset/<uidb64>/new-password/", views.password_reset_set_view, name="password_reset_set"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_link_view, name="password_reset_confirm"),
    path("language/", views.set_language_view, name="set_language"),
    path("account/", views.account_view, name="account"),
    path("org/switch/", views.switch_org_view, name="switch_org"),
    path("invitations/<uuid:membership_id>/accept/", views.invitation_accept_view, name="invitation_accept"),
    path("invitations/<uuid:membership_id>/decline/", views.invitation_decline_view, name="invitation_decline"),
    path("settings/members/", views.members_view, name="members"),
    path("settings/members/<uuid:member_id>/role/", views.member_role_view, name="member_role"),
    path("settings/members/<uuid:member_id>/remove/", views.member_remove_view, name="member_remove"),
    path("settings/api-keys/", views.apikeys_view, name="apikeys"),
    path("settings/api-keys/<uuid:key_id>/revoke/", views.apikey_revoke_view, name="apikey_revoke"),
    path("settings/audit/", views.audit_view, name="audit"),
    path("candidates/", pool_views.candidates_view, name="candidates"),
    path("candidates/duplicates/", merge_views.duplicates_view, name="duplicates"),
    path("candidates/merges/", merge_views.merge_view, name="merge"),
    path("candidates/duplicates/dismiss/", merge_views.dismiss_view, name="duplicate_dismiss"),
    path("candidates/merges/<uuid:merge_id>/revert/", merge_views.merge_revert_view, name="merge_revert"),
    path("candidates/merges/<uuid:merge_id>/confirm/", merge_views.merge_confirm_view, name="merge_confirm"),
    path("candidates/bulk-tag/", pool_views.bulk_tag_view, name="candidates_bulk_tag"),
    path("candidates/<uuid:candidate_id>/", pool_views.candidate_view, name="candidate"),
    path("applications/<uuid:application_id>/reject/", pool_views.reject_view, name="application_reject"),
    path("applications/<uuid:application_id>/evaluations/", pool_views.evaluation_view, name="application_evaluate"),
    path("jobs/", pool_views.jobs_view, name="jobs"),
    path("imports/", import_views.imports_view, name="imports"),
    path("imports/<uuid:import_id>/", import_views.import_job_view, name="import_job"),
    path("imports/<uuid:import_id>/errors.csv", import_views.import_errors_view, name="import_errors"),
]

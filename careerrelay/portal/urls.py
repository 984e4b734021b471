from django.urls import path

from careerrelay.portal import rescout_views, views

app_name = "portal"

urlpatterns = [
    path("<str:token>/", views.home_view, name="home"),
    path("<str:token>/choices/", views.choices_view, name="choices"),
    path("<str:token>/withdraw/", views.withdraw_view, name="withdraw"),
    path("<str:token>/wishes/", views.wishes_view, name="wishes"),
    path("<str:token>/blocks/", views.blocks_view, name="blocks"),
    path("<str:token>/history/", views.history_view, name="history"),
    path("<str:token>/unsubscribe/", views.unsubscribe_view, name="unsubscribe"),
    path("<str:token>/renew/", views.renew_view, name="renew"),
    path("<str:token>/introductions/<uuid:introduction_id>/", views.introduction_view, name="introduction"),
    path("<str:token>/found-a-job/", views.job_found_view, name="job_found"),
    path("<str:token>/my-data.json", views.data_view, name="data"),
    path("<str:token>/erase/", views.erase_view, name="erase"),
    # The links of a re-scout message (the token names the message, not the person).
    path("m/<str:token>/interested/", rescout_views.interested_view, name="rescout_interested"),
    path("m/<str:token>/profile/", rescout_views.profile_view, name="rescout_profile"),
    path("m/<str:token>/stop/", rescout_views.stop_view, name="rescout_stop"),
]

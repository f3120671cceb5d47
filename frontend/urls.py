from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="frontend/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="frontend/password_change_done.html"),
        name="password_change_done",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("studios/", views.studio_list, name="studios"),
    path("studios/<int:pk>/", views.studio_detail, name="studio"),
    path("studios/<int:pk>/members/", views.studio_members_fragment, name="studio_members"),
    path("studios/<int:pk>/members/add/", views.studio_member_add, name="studio_member_add"),
    path(
        "studios/<int:pk>/members/<int:user_id>/remove/",
        views.studio_member_remove,
        name="studio_member_remove",
    ),
    path("studios/<int:pk>/edit/", views.studio_edit, name="studio_edit"),
    path("studios/<int:pk>/delist/", views.studio_delist, name="studio_delist"),
]

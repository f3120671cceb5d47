from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from frontend.forms import AdminLoginForm

# Swagger UI and Redoc (bundled, served locally) set inline styles and Redoc runs its search in a
# blob: worker; only these two pages get those allowances, every other page keeps the strict policy.
api_docs_csp = csp_update({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

urlpatterns = [
    path("", include("frontend.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("platform_core.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/", api_docs_csp(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"
    ),
    path(
        "api/redoc/",
        api_docs_csp(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="frontend/redoc.html")
        ),
        name="api-redoc",
    ),
]

# A database outage is a 503 with Retry-After, anything else the 500 page (platform_core/outage.py).
handler500 = "platform_core.outage.server_error"

if settings.DEBUG:
    # In production the reverse proxy serves /media/ (docs/deployment.md).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# The admin login gets the same brake on password guessing as the platform's login page.
admin.site.login_form = AdminLoginForm
admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

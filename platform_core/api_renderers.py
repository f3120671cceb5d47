"""The API's renderers: JSON, and DRF's browsable API for a person opening an endpoint in a browser.

The browsable API builds a filter form from `view.get_queryset()` for any paginated view, but the
list views page through their selectors' querysets and declare no filter backend: the form has
nothing to show, and asking for it raised a 500 on every such list opened in a browser (found by the
browser walk of tests/browser/test_browser_sweeps.py).
"""

from __future__ import annotations

from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def get_filter_form(self, data, view, request):
        if not getattr(view, "filter_backends", None):
            return None
        return super().get_filter_form(data, view, request)

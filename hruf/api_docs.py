"""Swagger UI and Redoc served under the Content Security Policy, without 'unsafe-inline'.

drf-spectacular's own pages carry an inline <style> and an inline <script>. Here Swagger UI gets its
start-up script from a second request (drf-spectacular's split view) and its page CSS from
static/css. Redoc writes its CSS into style elements at run time: static/js/redoc-init.js, loaded
first, gives each of them this response's nonce, which this view alone adds to style-src (the only
relaxation anywhere; no 'unsafe-inline', no 'unsafe-eval'). Redoc's search needs a blob: worker and
is turned off; the maker's logo it always shows from cdn.redoc.ly is blocked by img-src, as it should be.
"""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "hruf/api_docs/swagger_ui.html"


@method_decorator(csp_update({"style-src": [NONCE]}), name="get")
class RedocView(SpectacularRedocView):
    template_name = "hruf/api_docs/redoc.html"

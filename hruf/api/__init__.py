"""What every endpoint of the REST API shares: pagination, the one error format, strict input
and scoped viewsets. The endpoints live beside their app (`scans/api/`, `reviews/api.py`, ...); `hruf/api_urls.py`
puts them under /api/v1/."""

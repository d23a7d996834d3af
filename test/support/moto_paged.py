# Starts moto_server with one fix: DescribeParameters honours MaxResults (1..50) like AWS does.
# moto 5.2.x hard-codes a page size of 10 and ignores MaxResults, which would make a listing of
# 10,000 parameters take 1,000 calls instead of the 200 that AWS needs. Everything else is stock moto.
import sys
from typing import Any

from moto.core.responses import ActionResult
from moto.ssm.responses import SimpleSystemManagerResponse


def describe_parameters(self: SimpleSystemManagerResponse) -> ActionResult:
    try:
        page_size = int(self._get_param("MaxResults") or 10)
    except (TypeError, ValueError):
        page_size = 10
    page_size = max(1, min(page_size, 50))
    filters = self._get_param("Filters")
    parameter_filters = self._get_param("ParameterFilters")
    token = self._get_param("NextToken")
    if hasattr(token, "strip"):
        token = token.strip()
    start = int(token or "0")
    result = self.ssm_backend.describe_parameters(filters, parameter_filters)
    page = result[start:start + page_size]
    response: dict[str, Any] = {"Parameters": [p.describe_response_object(False) for p in page]}
    if start + page_size < len(result):
        response["NextToken"] = str(start + page_size)
    return ActionResult(response)


SimpleSystemManagerResponse.describe_parameters = describe_parameters  # type: ignore[method-assign]

if __name__ == "__main__":
    from moto.server import main
    sys.exit(main())

"""Reads the simulator's REST API directly, to get the expected values.

The tests compare what the driver returns with what the API itself says,
so nothing about the generated data is hard-coded in a test.
"""

import json
import urllib.error
import urllib.parse
import urllib.request


class ApiError(Exception):
    """An HTTP error from the simulator, with Pipedrive's JSON body."""

    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body!r}")
        self.status = status
        self.body = body


def pascal_case(api_field_name):
    """Column name the driver uses for an API field: owner_id -> OwnerId."""
    return "".join(part[:1].upper() + part[1:] for part in api_field_name.split("_") if part)


class SimApi:
    def __init__(self, base_url, token):
        self.base_url = base_url.rstrip("/")
        self.token = token

    def get(self, path, params=None, token=None):
        """GET base_url + path; returns the decoded JSON body or raises ApiError."""
        url = self.base_url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        request = urllib.request.Request(url, headers={"x-api-token": token or self.token})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raw = error.read().decode("utf-8", errors="replace")
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw
            raise ApiError(error.code, body) from None

    def list_v2(self, resource, page_size=500, **params):
        """Every item of a cursor-paginated /api/v2 collection, in API order."""
        items = []
        cursor = None
        for _ in range(10_000):  # a loop bound, far above any test data size
            query = dict(params, limit=page_size)
            if cursor:
                query["cursor"] = cursor
            body = self.get(f"/api/v2/{resource}", query)
            items.extend(body.get("data") or [])
            cursor = (body.get("additional_data") or {}).get("next_cursor")
            if not cursor:
                return items
        raise AssertionError(f"/api/v2/{resource} kept returning a next_cursor")

    def list_v1(self, resource, page_size=500, **params):
        """Every item of an offset-paginated /api/v1 collection, in API order."""
        items = []
        start = 0
        for _ in range(10_000):
            body = self.get(f"/api/v1/{resource}", dict(params, start=start, limit=page_size))
            data = body.get("data") or []
            items.extend(data)
            pagination = (body.get("additional_data") or {}).get("pagination") or {}
            if not pagination.get("more_items_in_collection"):
                return items
            start = pagination.get("next_start", start + len(data))
        raise AssertionError(f"/api/v1/{resource} kept reporting more items")

    def error_text_for_bad_token(self):
        """Pipedrive's own error text for an invalid API token."""
        try:
            self.get("/api/v2/deals", {"limit": 1}, token="wrong-token-for-the-test")
        except ApiError as error:
            assert error.status == 401, error
            body = error.body
            if isinstance(body, dict):
                return body.get("error") or body.get("message") or json.dumps(body)
            return str(body)
        raise AssertionError("the simulator accepted a wrong API token")

"""Big downloads go gzipped to clients that take gzip: the same bytes, a fraction of the size."""

import gzip

import pytest
from django.http import FileResponse

from core.downloads import accepts_gzip


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("GZIP", True),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip; q=0.0, deflate", False),
        ("x-gzip-nope", False),
        ("", False),
    ],
)
def test_accepts_gzip_reads_the_header_as_http_says(rf, header, takes):
    assert accepts_gzip(rf.get("/", headers={"accept-encoding": header})) is takes


@pytest.mark.parametrize("name", ["status-updates.json", "recommendations.csv"])
def test_a_built_download_goes_gzipped_to_a_client_that_takes_gzip(client, cope_content, name):
    url = f"/safety-plan/{name}"
    first = client.get(url, headers={"accept-encoding": "gzip"})  # builds both files
    # streamed while it is built, already gzipped
    assert not isinstance(first, FileResponse) and first["Content-Encoding"] == "gzip"
    plain = gzip.decompress(body(first))
    assert "Accept-Encoding" in first["Vary"]

    zipped = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    identity = client.get(url, headers={"accept-encoding": "gzip;q=0"})

    assert isinstance(zipped, FileResponse) and isinstance(identity, FileResponse)  # the files
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    packed = body(zipped)
    assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 2
    assert int(zipped["Content-Length"]) == len(packed)
    assert "Content-Encoding" not in identity and body(identity) == plain
    assert zipped["Content-Disposition"] == identity["Content-Disposition"]
    assert zipped["ETag"] != identity["ETag"]  # one validator per encoding (strong ETags)

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from poses import images
from tests.factories import PoseImageFactory, image_bytes, noisy_png, photo_with_exif, png_bomb


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> set[str]:
    return {os.path.relpath(os.path.join(folder, name), root) for folder, _, names in os.walk(root) for name in names}


def refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        images.open_checked(data)
    return caught.value


def test_a_text_file_is_not_an_image():
    error = refusal(b"name,level\nBackbend,advanced\n")
    assert error.code == "not_image"
    assert "upload a JPEG, PNG or WebP image" in error.messages[0]


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_formats_other_than_jpeg_png_webp_are_refused_by_name(fmt):
    error = refusal(image_bytes(fmt=fmt, size=(40, 30)))
    assert error.code == "format"
    assert error.messages == [f"This is a {fmt} file; upload a JPEG, PNG or WebP image."]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_image_is_refused_as_damaged(fmt):
    data = image_bytes(fmt=fmt, size=(300, 200)) if fmt != "PNG" else noisy_png(size=(120, 80))
    error = refusal(data[: len(data) * 2 // 3])
    assert error.code == "damaged"
    assert "damaged or incomplete" in error.messages[0]


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "empty"


def test_an_image_over_the_pixel_bound_is_refused_before_decoding(settings):
    settings.YOGASITE_IMAGE_MAX_PIXELS = 100 * 100
    error = refusal(image_bytes(size=(101, 100)))
    assert error.code == "too_many_pixels"
    assert error.messages == ["The image is 101 × 100 pixels; images may have at most 10,000 pixels."]
    images.open_checked(image_bytes(size=(100, 100)))


def test_a_decompression_bomb_is_refused_though_the_file_is_tiny():
    data = png_bomb(width=10_000, height=10_000)
    assert len(data) < 100_000
    assert refusal(data).code == "too_many_pixels"


def test_a_bomb_within_pillows_limit_is_refused_by_the_sites_bound(settings):
    settings.YOGASITE_IMAGE_MAX_PIXELS = 40_000_000
    error = refusal(png_bomb(width=8_000, height=8_000))
    assert error.messages == ["The image is 8,000 × 8,000 pixels; images may have at most 40 megapixels."]


def test_a_file_over_the_byte_bound_is_refused(settings):
    settings.YOGASITE_IMAGE_MAX_BYTES = 20 * 1024
    error = refusal(noisy_png(size=(100, 100)))
    assert error.code == "too_large"
    assert "images may be at most 20 KB" in error.messages[0]


def test_the_upload_validator_refuses_by_declared_size_without_reading(settings):
    settings.YOGASITE_IMAGE_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.png", b"")
    upload.size = 3 * 1024 * 1024
    upload._committed = False
    with pytest.raises(ValidationError, match="The file is 3 MB; images may be at most 1 MB"):
        images.validate_image_upload(upload)


def test_the_upload_validator_trusts_content_not_the_file_name():
    upload = SimpleUploadedFile("pose.jpg", b"<html>not a picture</html>", content_type="image/jpeg")
    upload._committed = False
    with pytest.raises(ValidationError, match="not an image we can read"):
        images.validate_image_upload(upload)


def test_processing_turns_the_picture_upright_and_drops_its_metadata():
    processed = images.process(photo_with_exif(size=(400, 200), orientation=6))
    assert (processed.width, processed.height) == (200, 400)
    stored = Image.open(io.BytesIO(processed.original))
    assert stored.format == "JPEG"
    assert stored.size == (200, 400)
    assert not stored.getexif()
    assert b"PocketCam" not in processed.original
    # Orientation 6 turns the picture clockwise: the blue left edge ends up on top.
    red, green, blue = stored.convert("RGB").getpixel((100, 20))
    assert blue > 150 and red < 100


def test_renditions_are_webp_at_the_configured_widths_and_never_upscaled(settings):
    settings.YOGASITE_IMAGE_WIDTHS = (320, 640, 1024, 1600)
    processed = images.process(image_bytes(size=(900, 600)))
    assert sorted(processed.renditions) == [320, 640, 900]
    height, data = processed.renditions[320]
    rendition = Image.open(io.BytesIO(data))
    assert rendition.format == "WEBP"
    assert rendition.size == (320, height) == (320, 213)


def test_the_same_picture_is_stored_once(media_root):
    processed = images.process(image_bytes(size=(400, 300)))
    name, renditions, written = images.write(processed)
    assert sorted(stored_files(media_root)) == sorted([name, *(r["name"] for r in renditions)])
    assert len(written) == 3
    again = images.write(images.process(image_bytes(size=(400, 300))))
    assert again == (name, renditions, [])


@pytest.mark.django_db
def test_saving_an_uploaded_image_stores_only_the_cleaned_copy_and_renditions(media_root):
    image = PoseImageFactory(file=SimpleUploadedFile("phone.jpg", photo_with_exif(), content_type="image/jpeg"))
    assert (image.width, image.height) == (200, 400)
    assert stored_files(media_root) == {image.file.name, *(r["name"] for r in image.renditions)}
    stored = image.file.read()
    assert b"PocketCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()

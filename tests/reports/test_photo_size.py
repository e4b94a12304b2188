"""A phone's photo is stored no heavier than it was sent (SPEC §3, §7: a cheap phone on a
slow connection opens it again), the right way up and without its metadata."""
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

from lapor.reports.attachments import clean_upload

ORIENTATION = 0x0112
TURNED_RIGHT = 6  # held upright: the sensor's landscape pixels are shown turned 90° clockwise


def phone_photo(size=(4000, 3000), quality=90):
    """A photo-like JPEG as a phone sends it: landscape pixels, an orientation tag, grain.
    A red mark in the sensor's top-left corner ends top-right once turned upright."""
    rng = random.Random(1)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(200):
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(20, 300)
        draw.ellipse((x, y, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(3)), Image.effect_noise(size, 12).convert("RGB"), 0.15)
    ImageDraw.Draw(image).rectangle((0, 0, 400, 400), fill=(255, 0, 0))
    exif = Image.Exif()
    exif[ORIENTATION] = TURNED_RIGHT
    exif[0x010F] = "KameraMerek"
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, exif=exif)
    return out.getvalue()


def test_a_large_phone_photo_is_stored_smaller_upright_and_at_most_2560_pixels_long():
    raw = phone_photo()

    clean = clean_upload(SimpleUploadedFile("banjir.jpg", raw))

    stored = Image.open(io.BytesIO(clean.content))
    assert stored.size == (1920, 2560)  # portrait, as the phone showed it
    assert len(clean.content) < len(raw) / 2
    assert dict(stored.getexif()) == {}
    red, green, blue = stored.convert("RGB").getpixel((1920 - 50, 50))
    assert red > 200 and green < 60 and blue < 60  # the mark is top-right: turned, not mirrored


def test_a_photo_within_the_bound_keeps_its_size_in_pixels():
    raw = phone_photo(size=(1600, 1200))

    stored = Image.open(io.BytesIO(clean_upload(SimpleUploadedFile("banjir.jpg", raw)).content))

    assert stored.size == (1200, 1600)


def test_a_large_screenshot_is_scaled_down_too():
    png = io.BytesIO()
    Image.new("RGB", (1440, 3200), (250, 250, 250)).save(png, format="PNG")

    stored = Image.open(io.BytesIO(clean_upload(SimpleUploadedFile("layar.png", png.getvalue())).content))

    assert stored.format == "PNG" and stored.size == (1152, 2560)


def test_a_photo_sent_at_a_low_quality_is_not_made_heavier():
    grain = Image.effect_noise((1600, 1200), 40).convert("RGB")
    forwarded = io.BytesIO()  # as a chat app passes a photo on: small, at a low quality
    Image.blend(Image.linear_gradient("L").resize((1600, 1200)).convert("RGB"), grain, 0.5).save(
        forwarded, format="JPEG", quality=50)
    raw = forwarded.getvalue()

    clean = clean_upload(SimpleUploadedFile("diteruskan.jpg", raw))

    assert len(clean.content) <= len(raw)

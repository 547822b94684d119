import pytest

from poses.video import embed_url, video_host


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?t=10", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://vimeo.com/channels/staffpicks/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://www.youtube.com/watch?v=%22%3E%3Cscript%3E", ""),
        ("https://www.youtube.com/", ""),
        ("https://vimeo.com/about", ""),
        ("", ""),
    ],
)
def test_embed_url_names_the_privacy_friendly_player_or_nothing(url, embed):
    assert embed_url(url) == embed


def test_video_host_names_the_service():
    assert video_host("https://player.vimeo.com/video/1") == "Vimeo"
    assert video_host("https://youtu.be/x") == "YouTube"
    assert video_host("") == ""

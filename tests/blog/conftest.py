import pytest

from blog.factories import build_blog_index, build_image
from therapists.factories import build_therapist


@pytest.fixture
def blog_index(home_page):
    return build_blog_index(home_page)


@pytest.fixture
def author(home_page):
    return build_therapist(
        slug="maren-okafor",
        title="Maren Okafor",
        role="Graduate Student Trainee Therapist",
        pronouns="she/her",
        short_bio="Maren meets people where they are (demo).",
        photo=build_image("Maren portrait", seed=3, size=(400, 400)),
        photo_alt="Maren smiling in a sunlit room",
        specialties=["Sex work"],
    )


@pytest.fixture
def hero(db):
    return build_image("Hero", seed=5)

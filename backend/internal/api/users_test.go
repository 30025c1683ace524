package api_test

import (
	"strings"
	"testing"

	"github.com/cruddur/cruddur-go/backend/client"
)

func TestUserShort_GivesUUIDHandleAndDisplayName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	u, err := e.Anon.UserShort(ctx, "bayko")
	if err != nil || u.Handle != "bayko" || u.DisplayName != "Andrew Bayko" || u.UUID.String() != "3af4d3e7-5702-484e-8a87-e4a932c2d98e" {
		t.Fatalf("%+v %v", u, err)
	}
	_, err = e.Anon.UserShort(ctx, "ghost")
	wantCodes(t, err, 404, "user_not_found")
}

func TestProfile_CountsAndFollowingByMe(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	p, err := e.Anon.Profile(ctx, "andrewbrown")
	if err != nil {
		t.Fatal(err)
	}
	if p.DisplayName != "Andrew Brown" || p.CrudsCount != 3 || p.FollowersCount != 3 || p.FollowingCount != 2 || p.Following {
		t.Fatalf("profile %+v", p)
	}
	fan := e.signup("fan")
	p, err = fan.Follow(ctx, "andrewbrown")
	if err != nil || !p.Following || p.FollowersCount != 4 {
		t.Fatalf("after follow: %+v %v", p, err)
	}
	p, err = fan.Follow(ctx, "AndrewBrown")
	if err != nil || p.FollowersCount != 4 {
		t.Fatalf("following twice: %+v %v", p, err)
	}
	p, err = fan.Unfollow(ctx, "andrewbrown")
	if err != nil || p.Following || p.FollowersCount != 3 {
		t.Fatalf("after unfollow: %+v %v", p, err)
	}
	p, err = fan.Unfollow(ctx, "andrewbrown")
	if err != nil || p.FollowersCount != 3 {
		t.Fatalf("unfollowing twice: %+v %v", p, err)
	}
	_, err = fan.Follow(ctx, "fan")
	wantCodes(t, err, 422, "cannot_follow_self")
	_, err = fan.Follow(ctx, "ghost")
	wantCodes(t, err, 404, "user_not_found")
	_, err = e.Anon.Follow(ctx, "andrewbrown")
	wantCodes(t, err, 401, "authentication_required")
	_, err = e.Anon.Profile(ctx, "ghost")
	wantCodes(t, err, 404, "user_not_found")
}

func TestUpdateProfile_SetsDisplayNameAndBio(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.signup("editor")
	p, err := me.UpdateProfile(ctx, client.ProfileUpdate{DisplayName: "  The Editor ", Bio: " I edit things. "})
	if err != nil || p.DisplayName != "The Editor" || p.Bio != "I edit things." || p.Handle != "editor" {
		t.Fatalf("%+v %v", p, err)
	}
	_, err = me.UpdateProfile(ctx, client.ProfileUpdate{DisplayName: "   "})
	wantCodes(t, err, 422, "display_name_blank")
	_, err = me.UpdateProfile(ctx, client.ProfileUpdate{DisplayName: strings.Repeat("x", 51), Bio: strings.Repeat("b", 161)})
	wantCodes(t, err, 422, "display_name_too_long", "bio_too_long")
	_, err = e.Anon.UpdateProfile(ctx, client.ProfileUpdate{DisplayName: "x"})
	wantCodes(t, err, 401, "authentication_required")
	after, _ := e.Anon.Profile(ctx, "editor")
	if after.DisplayName != "The Editor" {
		t.Fatalf("a refused update changed the profile: %+v", after)
	}
}

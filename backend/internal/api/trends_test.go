package api_test

import (
	"testing"
)

func TestTrendingHashtags_CountLiveCrudsFromData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	tags, err := e.Anon.TrendingHashtags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != 3 || tags[0].Hashtag != "#100DaysOfCloud" || tags[0].Count != 3 || tags[1].Hashtag != "#AWS" || tags[1].Count != 2 {
		t.Fatalf("trending = %+v", tags)
	}
	me := e.signup("tagger")
	for _, msg := range []string{"#golang is fun", "#golang again", "more #golang", "#GoLang", "#golang? #100DaysOfCloud"} {
		me.CreateActivity(ctx, msg, "1-hour")
	}
	tags, _ = e.Anon.TrendingHashtags(ctx)
	if tags[0].Hashtag != "#golang" || tags[0].Count != 5 || tags[1].Count != 4 {
		t.Fatalf("spelled as most cruds spell it, counted case-insensitively: %+v", tags)
	}
}

func TestSuggestedUsers_AreOnesIDoNotFollow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	anon, err := e.Anon.SuggestedUsers(ctx)
	if err != nil || len(anon) != 3 || anon[0].Handle != "andrewbrown" {
		t.Fatalf("signed out: %+v %v", anon, err)
	}
	bayko := e.Anon.WithToken(signin(t, e, "bayko")) // follows andrewbrown
	mine, _ := bayko.SuggestedUsers(ctx)
	for _, u := range mine {
		if u.Handle == "bayko" || u.Handle == "andrewbrown" {
			t.Fatalf("bayko is offered %s: %+v", u.Handle, mine)
		}
	}
	if len(mine) != 2 {
		t.Fatalf("bayko's suggestions: %+v", mine)
	}
}

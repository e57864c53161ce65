package suggest_test

import (
	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/mapper/suggest"
)

// Best must stay usable as the linter's suggester for
// attack-missing-technique (an external test package, so that package
// suggest itself never imports linter).
var _ linter.TechniqueSuggester = (*suggest.Suggester)(nil).Best

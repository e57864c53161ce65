package rules

import (
	"errors"

	"github.com/bradleyjkemp/sigma-go"
)

// decodeSigma decodes a Sigma detection rule with sigma-go from its YAML
// node, as the tests compare what sigma-go accepts with what the loader
// reads; huntlint itself never needs it (sigmatest builds its own rule).
func decodeSigma(r *Rule) (*sigma.Rule, error) {
	if r.Format != FormatSigma || r.Kind != KindDetection || r.Doc == nil || len(r.Doc.Content) == 0 {
		return nil, errors.New("not a Sigma detection rule")
	}
	var sr sigma.Rule
	if err := r.Doc.Content[0].Decode(&sr); err != nil {
		return nil, err
	}
	return &sr, nil
}

// Package sigmatest runs Sigma rules against their test events with
// sigma-go's evaluator.
package sigmatest

import _ "github.com/bradleyjkemp/sigma-go/evaluator"

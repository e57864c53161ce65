package linter

// Registry returns every check huntlint has, in a fixed order. It is the one
// place that lists them: add a check here when you add its file.
func Registry() []Check {
	return []Check{
		loadError{},
		loadMissing{},
		loadSkipped{},
		unusedSuppression{},

		attackMalformedTag{},
		attackTagStyle{},
		attackUnknownTechnique{},
		attackUnknownTactic{},
		attackUnknownObject{},
		attackNewerRelease{},
		attackRevoked{},
		attackRenamedTactic{},
		attackDeprecated{},
		attackWrongDomain{},
		attackTacticMismatch{},
		attackOrphanTactic{},
		attackMissingTactic{},
		attackDuplicateTag{},
		attackMissingTechnique{},
		attackPlatformMismatch{},
		attackSimulationMismatch{},

		// Sigma structure
		sigmaMissingField{},
		sigmaInvalidID{},
		sigmaDuplicateID{},
		sigmaDuplicateTitle{},
		sigmaInvalidStatus{},
		sigmaInvalidLevel{},
		sigmaInvalidDate{},
		sigmaConditionError{},
		sigmaUnusedSearch{},
		sigmaUnknownModifier{},
		sigmaTagFormat{},
		sigmaRelatedInvalid{},
		sigmaCorrelationReference{},
		sigmaModifierMisuse{},
		sigmaWildcardModifier{},
		sigmaSuspiciousValue{},
		sigmaThemCondition{},
		sigmaDuplicateReference{},
		sigmaUnknownField{},
		sigmaCorrelationInvalid{},
		sigmaValueHint{},
		sigmaRegressionMissing{},

		// Sentinel structure
		sentinelMissingField{},
		sentinelInvalidID{},
		sentinelDuplicateID{},
		sentinelInvalidVersion{},
		sentinelInvalidSeverity{},
		sentinelInvalidSchedule{},
		sentinelInvalidEntityMapping{},
		sentinelConnectorMismatch{},
		sentinelInvalidCustomDetails{},

		// KQL
		kqlSyntaxError{},
	}
}

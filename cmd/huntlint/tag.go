package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/mapper/suggest"
	"github.com/huntlint/huntlint/rules"
)

func (a *app) tagCommand() *cobra.Command {
	var (
		opts     suggest.TagOptions
		train    []string
		format   string
		write    bool
		evaluate bool
		folds    int
		keepTac  bool
		evalOn   []string
		writeAt  float64
		force    bool
		disc     rules.DiscoverOptions
	)
	cmd := &cobra.Command{
		Use:   "tag [PATH...]",
		Short: "Suggest ATT&CK techniques for rules from their content, with evidence",
		Long: `Tag proposes ATT&CK techniques for each rule (the current folder when no PATH
is given) with a score in [0,1] and the evidence behind it. Four signals are
combined: a built-in knowledge base of observables (binaries, command lines,
registry paths, event IDs, KQL tables, ActionType values, Sigma logsources),
a model learned from the tagged rules among the PATHs and --train paths,
technique names found in the rule's text and, when --catalog names a full
STIX bundle, ATT&CK's descriptions and detection analytics of each technique.
With 300 tagged rules or more, a stacker learned from them orders the
suggestions. Existing tags are shown and not suggested again unless
--ignore-existing.

--write adds the suggestions scoring at least --write-precision (0.8) to
Sigma tags (the technique and its tactics) and to Sentinel
relevantTechniques and tactics, changing nothing else.
--evaluate runs K-fold cross-validation on the tagged rules instead and
prints top1_precision, top3_recall, parent_top1_precision,
parent_top3_recall, coverage and per_tactic_recall; with --folds 1 the model
learns from --train only; --evaluate-on B learns from the PATHs and --train and
scores B. See docs/tag.md.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(textOrJSON, format) {
				return usageErr(fmt.Errorf("invalid --format %q: use text or json", format))
			}
			if opts.Top < 1 {
				return usageErr(fmt.Errorf("invalid --top %d: use 1 or more", opts.Top))
			}
			if opts.MinScore < 0 || opts.MinScore > 1 {
				return usageErr(fmt.Errorf("invalid --min-score %v: use a number from 0 to 1", opts.MinScore))
			}
			if folds < 1 {
				return usageErr(fmt.Errorf("invalid --folds %d: use 1 or more", folds))
			}
			if writeAt < 0 || writeAt > 1 {
				return usageErr(fmt.Errorf("invalid --write-precision %v: use a number from 0 to 1", writeAt))
			}
			if len(evalOn) > 0 {
				// learn from the PATHs and --train, score the --evaluate-on rules
				train = append(train, args...)
				if len(args) == 0 {
					train = append(train, ".")
				}
				args, evaluate, folds = evalOn, true, 1
			}
			if evaluate && write {
				return usageErr(fmt.Errorf("--evaluate and --write cannot be combined"))
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			cat, err := a.openCatalogTexts()
			if err != nil {
				return err
			}
			loaded, problems, err := a.tagLoadRules(args, disc)
			if err != nil {
				return err
			}
			var trainRules []*rules.Rule
			if len(train) > 0 {
				var p []rules.Problem
				if trainRules, p, err = a.tagLoadRules(train, disc); err != nil {
					return err
				}
				problems = append(problems, p...)
			}
			for _, p := range problems {
				fmt.Fprintln(a.stderr, tagProblemLine(p))
			}
			if evaluate {
				// the figures are measured at tag's own cut-off
				m, err := suggest.Evaluate(cat, loaded, suggest.EvalOptions{Folds: folds, Train: trainRules, MinScore: opts.MinScore, KeepTactics: keepTac})
				if err != nil {
					return usageErr(fmt.Errorf("evaluate: %w", err))
				}
				if format == "json" {
					return suggest.WriteMetricsJSON(a.stdout, m)
				}
				return suggest.WriteMetricsText(a.stdout, m)
			}
			start := time.Now()
			s, err := suggest.New(cat, append(append([]*rules.Rule(nil), loaded...), trainRules...))
			a.debugf("tag suggester trained on %d rules in %s", len(loaded)+len(trainRules), time.Since(start).Round(time.Millisecond))
			if err != nil {
				return err
			}
			results := s.Tag(loaded, opts)
			if format == "json" {
				err = suggest.WriteJSON(a.stdout, results)
			} else if err = suggest.WriteText(a.stdout, results); err == nil {
				err = suggest.WriteSummary(summaryWriter(cmd, a.stdout), results)
			}
			if err != nil {
				return err
			}
			if write {
				written, werrs := s.WriteTags(suggest.ForWrite(results, writeAt), force)
				for _, p := range written {
					fmt.Fprintf(summaryWriter(cmd, a.stderr), "wrote %s\n", p)
				}
				for _, e := range werrs {
					fmt.Fprintf(a.stderr, "huntlint: %v\n", e)
				}
				if len(werrs) > 0 {
					return &exitError{code: ExitFindings}
				}
			}
			if len(problems) > 0 {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Top, "top", 3, "suggestions per rule")
	f.Float64Var(&opts.MinScore, "min-score", suggest.DefaultMinScore, "cut-off (0 to 1): a rule whose first suggestion scores below it gets none; --evaluate measures at it")
	f.BoolVar(&opts.UntaggedOnly, "untagged-only", false, "only rules without technique tags")
	f.BoolVar(&opts.IgnoreExisting, "ignore-existing", false, "predict as if rules had no tags (to check existing tags)")
	f.StringArrayVar(&train, "train", nil, "more tagged rules to learn from (file or folder); repeatable")
	f.StringVar(&format, "format", "text", "output format: text or json")
	choices(f, "format", textOrJSON)
	f.BoolVar(&write, "write", false, "add the suggestions to the files (Sigma tags, Sentinel relevantTechniques and tactics)")
	f.Float64Var(&writeAt, "write-precision", suggest.DefaultWritePrecision, "with --write, write only suggestions scoring at least this (a probability measured on held-out rules when 300 tagged rules or more are learned from)")
	f.StringArrayVar(&evalOn, "evaluate-on", nil, "evaluate on these rules (file or folder; repeatable), learning from the PATHs and --train: cross-format evaluation")
	declareForce(f, &force, "with --write, also change read-only files")
	f.BoolVar(&evaluate, "evaluate", false, "cross-validate on the tagged rules and print figures instead of suggestions")
	f.IntVar(&folds, "folds", 5, "folds for --evaluate; 1 learns from --train only")
	f.BoolVar(&keepTac, "keep-tactics", false, "with --evaluate, hide only the techniques of each rule, not the tactics it names")
	f.StringArrayVar(&disc.Include, "include", nil, "glob of files to take from folders, replacing the defaults; repeatable")
	f.StringArrayVar(&disc.Exclude, "exclude", nil, "glob of files or folders to skip; repeatable")
	f.BoolVar(&disc.FollowSymlinks, "follow-symlinks", false, followSymlinksUsage)
	declareConfig(f)
	return cmd
}

// tagLoadRules discovers and loads the rules under paths.
func (a *app) tagLoadRules(paths []string, disc rules.DiscoverOptions) ([]*rules.Rule, []rules.Problem, error) {
	files, problems, err := a.discover(paths, disc)
	if err != nil {
		return nil, nil, err
	}
	loaded, p := rules.LoadAll(files, 0)
	return loaded, append(problems, p...), nil
}

// tagProblemLine formats a load problem as path:line:col: message.
func tagProblemLine(p rules.Problem) string {
	switch {
	case p.Line > 0 && p.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", p.Path, p.Line, p.Column, p.Message)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.Path, p.Message)
}

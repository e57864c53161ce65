package main

import (
	"bytes"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/layer"
)

// runLayerAgainst is 'layer diff DETECTIONS --against CONTROLS': the
// techniques neither a rule detects nor a control covers.
func (a *app) runLayerAgainst(args, against []string, format, output string, strict bool, cat *mapper.Catalog) error {
	var det []*layer.Layer
	for _, p := range args {
		ls, err := a.layerReadCurrent(p, strict, cat)
		if err != nil {
			return err
		}
		det = append(det, ls...)
	}
	var ctl []layer.ControlInput
	for _, p := range against {
		ls, err := a.layerReadCurrent(p, strict, cat)
		if err != nil {
			return err
		}
		ctl = append(ctl, layer.ControlInput{Name: p, Layers: ls})
	}
	gs := layer.Gaps(det, ctl, cat)
	var buf bytes.Buffer
	var err error
	if format == "json" {
		err = layer.WriteGapsJSON(&buf, gs)
	} else {
		err = layer.WriteGapsMarkdown(&buf, gs, cat)
	}
	if err != nil {
		return err
	}
	return a.layerWriteOut(output, buf.Bytes())
}

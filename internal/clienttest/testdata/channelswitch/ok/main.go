// Command ok is the control of TestWrongChannelCasesDoNotCompile: the right type switch compiles.
package main

import (
	"fmt"

	"github.com/smoochkit/smooch-go/smooch"
)

func main() {
	var i smooch.Integration
	switch ch := i.Channel().(type) {
	case *smooch.TelegramIntegration:
		fmt.Println(ch.Username)
	case *smooch.UnknownIntegration:
		fmt.Println(ch.Type)
	}
}

// Command wrong holds type switches on Integration.Channel that can never match; each must be a compile
// error (TestWrongChannelCasesDoNotCompile). The line of each case is named in the test.
package main

import (
	"fmt"

	"github.com/smoochkit/smooch-go/smooch"
)

func main() {
	var i smooch.Integration
	switch ch := i.Channel().(type) {
	case smooch.TelegramIntegration: // WRONG: a value, but the channel is a pointer
		fmt.Println(ch)
	}
	switch ch := i.Channel().(type) {
	case smooch.Telegram: // WRONG: the builder (request), not the integration (response)
		fmt.Println(ch)
	}
	switch ch := i.Channel().(type) {
	case *smooch.Telegram: // WRONG: a pointer to the builder
		fmt.Println(ch)
	}
	switch ch := i.Channel().(type) {
	case smooch.App: // WRONG: not a channel at all
		fmt.Println(ch)
	}
}

module github.com/cdk8s-rainbond/cdk8s-rainbond/example/go

go 1.25.0

require (
	github.com/aws/constructs-go/constructs/v10 v10.3.0
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk8s-rainbond/cdk8s-rainbond-go/cdk8srainbond v0.0.0
	github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 v2.70.98
	github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2 v2.5.6
)

require (
	github.com/Masterminds/semver/v3 v3.5.0 // indirect
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/yuin/goldmark v1.7.16 // indirect
	golang.org/x/lint v0.0.0-20241112194109-818c5a804067 // indirect
	golang.org/x/mod v0.39.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/telemetry v0.0.0-20260811182544-a038080d80e5 // indirect
	golang.org/x/tools v0.49.0 // indirect
	golang.org/x/tools/cmd/godoc v0.1.0-deprecated // indirect
	golang.org/x/tools/godoc v0.1.0-deprecated // indirect
)

// The library's module as jsii-pacmak generates it (.ci/jsii-targets writes it there).
replace github.com/cdk8s-rainbond/cdk8s-rainbond-go/cdk8srainbond => ../../dist/go/cdk8srainbond

// cdk8s's Go module is not served by the module proxy this project's machines reach (it answers
// 403 for cdk8s-core-go): .ci/jsii-targets generates it from the npm package cdk8s at the pinned
// version with the same jsii-pacmak, as cdk8s publishes it. An app repository leaves this out.
replace github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 => ../../dist/go-deps/cdk8s

# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_fleet_global_optspecs
    string join \n kubeconfig= clusters= cluster-selector= fleet= n/namespace= A/all-namespaces request-timeout= v/verbose color= h/help V/version
end

function __fish_kubectl_fleet_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_fleet_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_fleet_using_subcommand
    set -l cmd (__fish_kubectl_fleet_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -s n -l namespace -d 'Namespace (default: the namespace in the manifest, else `default`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "clusters" -d 'List the member clusters: reachability, version, nodes, GPUs, cordon state, labels'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "get" -d 'Show Deployments, pods or nodes across the fleet (-M: one row per member)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "completion" -d 'Generate a static shell completion script for kubectl-fleet'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s o -l output -d 'Output format' -r -f -a "wide\t'Adds the API server URL'
json\t'JSON (a List of rows)'
yaml\t'YAML (a List of rows)'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s n -l namespace -d 'Namespace (default: the namespace in the manifest, else `default`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s o -l output -d 'Output format' -r -f -a "wide\t'More columns'
json\t'JSON List of the member objects'
yaml\t'YAML List of the member objects'
name\t'`kind.group/name` per object'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s l -l selector -d 'Label selector on the listed objects (e.g. `app=qwen3-8b`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s n -l namespace -d 'Namespace (default: the namespace in the manifest, else `default`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s M -l member-clusters -d 'One row per member cluster (plus a fleet total row for Deployments)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -s n -l namespace -d 'Namespace (default: the namespace in the manifest, else `default`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters get completion help" -f -a "clusters" -d 'List the member clusters: reachability, version, nodes, GPUs, cordon state, labels'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters get completion help" -f -a "get" -d 'Show Deployments, pods or nodes across the fleet (-M: one row per member)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters get completion help" -f -a "completion" -d 'Generate a static shell completion script for kubectl-fleet'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters get completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

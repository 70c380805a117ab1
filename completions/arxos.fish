function __arxos_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __arxos_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __arxos_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __arxos_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __arxos_parse_tokens -S
    set -l unparsed_tokens (__arxos_tokens -pc)
    switch $unparsed_tokens[1]
    case 'arxos'
        __arxos_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'init'
            __arxos_parse_subcommand 1 'C=' 'q/quiet' 'color=' 'b/initial-branch=' 'version' 'h/help'
        case 'state'
            __arxos_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'capture'
                __arxos_parse_subcommand 0 'C=' 'q/quiet' 'color=' 'm/message=' 'allow-empty' 'amend' 'author=' 'no-sign' 'version' 'h/help'
            case 'restore'
                __arxos_parse_subcommand -r 2 'C=' 'q/quiet' 'color=' 'version' 'h/help'
            case 'diff'
                __arxos_parse_subcommand -r 3 'C=' 'q/quiet' 'color=' 'stat' 'name-only' 'json' 'type=+' 'exit-code' 'version' 'h/help'
            end
        case 'commit'
            __arxos_parse_subcommand 0 'C=' 'q/quiet' 'color=' 'm/message=' 'allow-empty' 'amend' 'author=' 'no-sign' 'version' 'h/help'
        case 'status'
            __arxos_parse_subcommand 0 'C=' 'q/quiet' 'color=' 'json' 'version' 'h/help'
        case 'diff'
            __arxos_parse_subcommand -r 3 'C=' 'q/quiet' 'color=' 'stat' 'name-only' 'json' 'type=+' 'exit-code' 'version' 'h/help'
        case 'log'
            __arxos_parse_subcommand -r 2 'C=' 'q/quiet' 'color=' 'n/max-count=' 'oneline' 'json' 'show-signature' 'version' 'h/help'
        case 'show'
            __arxos_parse_subcommand 1 'C=' 'q/quiet' 'color=' 'json' 'version' 'h/help'
        case 'branch'
            __arxos_parse_subcommand 2 'C=' 'q/quiet' 'color=' 'd/delete' 'json' 'version' 'h/help'
        case 'switch'
            __arxos_parse_subcommand 2 'C=' 'q/quiet' 'color=' 'c' 'detach' 'version' 'h/help'
        case 'restore'
            __arxos_parse_subcommand -r 2 'C=' 'q/quiet' 'color=' 'version' 'h/help'
        case 'tag'
            __arxos_parse_subcommand 2 'C=' 'q/quiet' 'color=' 'm/message=' 's/sign' 'no-sign' 'd/delete' 'json' 'version' 'h/help'
        case 'reflog'
            __arxos_parse_subcommand 1 'C=' 'q/quiet' 'color=' 'json' 'version' 'h/help'
        case 'key'
            __arxos_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'generate'
                __arxos_parse_subcommand 0 'C=' 'q/quiet' 'color=' 'comment=' 'force' 'version' 'h/help'
            case 'list'
                __arxos_parse_subcommand 0 'C=' 'q/quiet' 'color=' 'json' 'version' 'h/help'
            case 'export'
                __arxos_parse_subcommand 0 'C=' 'q/quiet' 'color=' 'version' 'h/help'
            case 'trust'
                __arxos_parse_subcommand 1 'C=' 'q/quiet' 'color=' 'comment=' 'version' 'h/help'
            case 'revoke'
                __arxos_parse_subcommand 1 'C=' 'q/quiet' 'color=' 'comment=' 'version' 'h/help'
            end
        case 'verify'
            __arxos_parse_subcommand 1 'C=' 'q/quiet' 'color=' 'required=' 'json' 'version' 'h/help'
        case 'validate'
            __arxos_parse_subcommand 1 'C=' 'q/quiet' 'color=' 'json' 'version' 'h/help'
        case 'fsck'
            __arxos_parse_subcommand 0 'C=' 'q/quiet' 'color=' 'json' 'version' 'h/help'
        case 'gc'
            __arxos_parse_subcommand 0 'C=' 'q/quiet' 'color=' 'prune=' 'level=' 'version' 'h/help'
        case 'cat-object'
            __arxos_parse_subcommand 1 'C=' 'q/quiet' 'color=' 't' 's' 'p' 'version' 'h/help'
        case 'hash-object'
            __arxos_parse_subcommand 1 'C=' 'q/quiet' 'color=' 'w' 'version' 'h/help'
        case 'ls-tree'
            __arxos_parse_subcommand 1 'C=' 'q/quiet' 'color=' 'r' 'version' 'h/help'
        case 'rev-parse'
            __arxos_parse_subcommand -r 1 'C=' 'q/quiet' 'color=' 'version' 'h/help'
        case 'help'
            __arxos_parse_subcommand -r 1 'version'
        end
    end
end

function __arxos_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __arxos_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __arxos_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __arxos_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__arxos_tokens -p)
    if test -z "$(__arxos_tokens -t)"
        set -l index (count (__arxos_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'arxos' -f
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'init' -d 'Create an empty arxos repository.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'state' -d 'Capture and restore states of the building.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'commit' -d 'Record the working tree as a new commit (alias of \'state capture\').'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'status' -d 'Show the files and objects changed since HEAD.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'diff' -d 'Show what changed, object by object and property by property.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'log' -d 'Show the history of commits.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'show' -d 'Show a commit, a file of a state, or a building object.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'branch' -d 'List, create or delete branches.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'switch' -d 'Switch the working tree to another branch.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'restore' -d 'Bring back files as they were in a state (alias of \'state restore\').'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'tag' -d 'List, create or delete tags.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'reflog' -d 'Show where a ref has pointed, newest first.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'key' -d 'Manage your signing key and the keys this repository trusts.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'verify' -d 'Check the signatures of a commit or annotated tag.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'validate' -d 'Check a state against the domain rules.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'fsck' -d 'Check the whole store: every object, pack, ref and reflog entry.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'gc' -d 'Pack loose objects and remove unreachable ones.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'cat-object' -d 'Print an object\'s type, size or content (plumbing).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'hash-object' -d 'Print the blob id of a file, optionally writing it to the store (plumbing).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'ls-tree' -d 'List the entries of a tree (plumbing).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'rev-parse' -d 'Print the full id a revision names (plumbing).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos init" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos init" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos init" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos init" b initial-branch' -s 'b' -l 'initial-branch' -d 'The name of the first branch.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos init" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos state" -eq 1' -fa 'capture' -d 'Record the working tree as a new commit on the current branch.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos state" -eq 1' -fa 'restore' -d 'Bring back files, or the whole working tree, as they were in a state.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos state" -eq 1' -fa 'diff' -d 'Show what changed between states (same as \'arxos diff\').'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state capture" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state capture" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state capture" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state capture" m message' -l 'message' -s 'm' -d 'The message describing this state.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state capture" allow-empty' -l 'allow-empty' -d 'Record a commit even if nothing changed.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state capture" amend' -l 'amend' -d 'Replace the last commit of the branch instead of adding one.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state capture" author' -l 'author' -d 'Override the author, as \'Name <email>\'.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state capture" no-sign' -l 'no-sign' -d 'Do not sign the commit even if a key exists.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state capture" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state capture" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state restore" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state restore" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state restore" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state restore" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state restore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state diff" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state diff" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state diff" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state diff" stat' -l 'stat' -d 'Counts of changed objects per building and type.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state diff" name-only' -l 'name-only' -d 'Only the ids of changed objects, one per line.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state diff" json' -l 'json' -d 'Print a JSON document (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state diff"' -l 'type' -d 'Only objects of this type (repeatable).' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state diff" exit-code' -l 'exit-code' -d 'Exit with status 1 when there are changes, 0 when there are none.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state diff" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos state diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos commit" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos commit" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos commit" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos commit" m message' -l 'message' -s 'm' -d 'The message describing this state.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos commit" allow-empty' -l 'allow-empty' -d 'Record a commit even if nothing changed.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos commit" amend' -l 'amend' -d 'Replace the last commit of the branch instead of adding one.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos commit" author' -l 'author' -d 'Override the author, as \'Name <email>\'.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos commit" no-sign' -l 'no-sign' -d 'Do not sign the commit even if a key exists.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos commit" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos commit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos status" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos status" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos status" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos status" json' -l 'json' -d 'Print a JSON document (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos status" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos diff" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos diff" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos diff" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos diff" stat' -l 'stat' -d 'Counts of changed objects per building and type.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos diff" name-only' -l 'name-only' -d 'Only the ids of changed objects, one per line.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos diff" json' -l 'json' -d 'Print a JSON document (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos diff"' -l 'type' -d 'Only objects of this type (repeatable).' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos diff" exit-code' -l 'exit-code' -d 'Exit with status 1 when there are changes, 0 when there are none.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos diff" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos log" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos log" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos log" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos log" max-count n' -s 'n' -l 'max-count' -d 'Show at most N commits.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos log" oneline' -l 'oneline' -d 'One line per commit: abbreviated id and subject.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos log" json' -l 'json' -d 'Print a JSON array (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos log" show-signature' -l 'show-signature' -d 'Check each commit\'s signatures and show the result.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos log" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos log" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos show" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos show" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos show" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos show" json' -l 'json' -d 'Print a JSON document (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos show" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos branch" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos branch" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos branch" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos branch" d delete' -l 'delete' -s 'd' -d 'Delete the branch and its reflog (commits it alone reached stay in the store, reachable from HEAD\'s reflog).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos branch" json' -l 'json' -d 'Print a JSON array (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos branch" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos branch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos switch" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos switch" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos switch" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos switch" c' -s 'c' -d 'Create the branch first (at START, default HEAD).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos switch" detach' -l 'detach' -d 'Detach HEAD at the revision instead of switching to a branch.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos switch" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos switch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos restore" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos restore" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos restore" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos restore" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos restore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos tag" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos tag" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos tag" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos tag" m message' -l 'message' -s 'm' -d 'The message of an annotated tag.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos tag" s sign' -l 'sign' -s 's' -d 'Make a signed annotated tag (fails without a key).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos tag" no-sign' -l 'no-sign' -d 'Do not sign an annotated tag.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos tag" d delete' -l 'delete' -s 'd' -d 'Delete the tag.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos tag" json' -l 'json' -d 'Print a JSON array (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos tag" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos tag" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos reflog" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos reflog" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos reflog" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos reflog" json' -l 'json' -d 'Print a JSON array (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos reflog" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos reflog" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos key" -eq 1' -fa 'generate' -d 'Create your Ed25519 signing key.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos key" -eq 1' -fa 'list' -d 'List your key and this repository\'s trusted and revoked keys.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos key" -eq 1' -fa 'export' -d 'Print your public key as \'ed25519 <base64> <comment>\'.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos key" -eq 1' -fa 'trust' -d 'Trust a public key in this repository.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_positional "arxos key" -eq 1' -fa 'revoke' -d 'Revoke a key in this repository: its signatures no longer count.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key generate" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key generate" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key generate" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key generate" comment' -l 'comment' -d 'A comment stored with the public key (default: your email).' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key generate" force' -l 'force' -d 'Replace an existing key (signatures made with the old key no longer match your key).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key generate" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key generate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key list" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key list" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key list" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key list" json' -l 'json' -d 'Print a JSON document (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key list" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key export" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key export" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key export" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key export" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key trust" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key trust" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key trust" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key trust" comment' -l 'comment' -d 'A note on whose key this is.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key trust" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key trust" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key revoke" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key revoke" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key revoke" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key revoke" comment' -l 'comment' -d 'Why the key is revoked.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key revoke" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos key revoke" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos verify" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos verify" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos verify" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos verify" required' -l 'required' -d 'How many distinct trusted keys must have signed.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos verify" json' -l 'json' -d 'Print a JSON document (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos verify" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos validate" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos validate" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos validate" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos validate" json' -l 'json' -d 'Print a JSON document (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos validate" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos validate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos fsck" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos fsck" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos fsck" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos fsck" json' -l 'json' -d 'Print a JSON document (schema in docs/json.md).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos fsck" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos fsck" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos gc" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos gc" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos gc" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos gc" prune' -l 'prune' -d 'Remove unreachable objects older than this: \'now\', \'2.weeks\', \'3.days\' or seconds.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos gc" level' -l 'level' -d 'zstd level for the pack (1-22; default pack.gcLevel or 9).' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos gc" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos gc" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos cat-object" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos cat-object" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos cat-object" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos cat-object" t' -s 't' -d 'Print the type.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos cat-object" s' -s 's' -d 'Print the content size in bytes.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos cat-object" p' -s 'p' -d 'Print the content (trees as one line per entry).'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos cat-object" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos cat-object" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos hash-object" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos hash-object" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos hash-object" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos hash-object" w' -s 'w' -d 'Write the blob into the store.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos hash-object" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos hash-object" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos ls-tree" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos ls-tree" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos ls-tree" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos ls-tree" r' -s 'r' -d 'Recurse into subtrees, listing files with full paths.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos ls-tree" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos ls-tree" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos rev-parse" C' -s 'C' -d 'Run as if arxos was started in <dir>.' -rfka ''
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos rev-parse" q quiet' -l 'quiet' -s 'q' -d 'Print less: no progress, no summaries.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos rev-parse" color' -l 'color' -d 'When to colour output: auto, always or never.' -rfka 'auto always never'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos rev-parse" version' -l 'version' -d 'Show the version.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos rev-parse" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'arxos' -n '__arxos_should_offer_completions_for_flags_or_options "arxos help" version' -l 'version' -d 'Show the version.'
